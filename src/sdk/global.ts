/**
 * The script build (/sdk/huddle-video.js): defines window.Huddle.Video and, unless the page
 * already loaded twilio-video, window.Twilio.Video as the same object, so a page written for
 * twilio-video 2.x runs on Huddle by swapping only its script tag.
 */
import * as Video from './index.js';

declare global {
  interface Window {
    Huddle?: { Video: typeof Video };
    Twilio?: { Video?: unknown };
  }
}

window.Huddle = { ...(window.Huddle ?? {}), Video };
if (window.Twilio === undefined) window.Twilio = { Video };
