export * from './types';
export * from './signatures';
export { MAX_WEBHOOK_BODY_BYTES } from './normalise';
export * from './hubspot';
export * from './salesforce';
export * from './pipedrive';
export * from './generic';
export * from './recordUrl';
