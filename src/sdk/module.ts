/**
 * The ES module build's entry (/sdk/huddle-video.mjs): every named export, and the whole SDK as
 * the default export, as twilio-video has (`import Video from 'twilio-video'`).
 */
import * as Video from './index.js';

export * from './index.js';
export default Video;
