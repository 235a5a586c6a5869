/** The SDK's errors are the protocol's one error class: a stable code, the twilio-video number, a cause. */
export { HuddleError } from '../protocol/errors.js';
