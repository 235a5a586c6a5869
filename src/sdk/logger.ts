/**
 * The SDK's log, as twilio-video's: `Video.Logger` is loglevel, and the SDK writes to the logger
 * named 'twilio-video', so `Video.Logger.getLogger('twilio-video').setLevel('debug' | 'silent')`
 * works on Huddle as it does on Twilio. Warnings and errors show by default.
 */
import loglevel from 'loglevel';

export const Logger = loglevel;
export const log = loglevel.getLogger('twilio-video');
log.setDefaultLevel('warn');
