export * from './content-blocks.ts';
export * from './messages-request.ts';
export * from './messages-response.ts';
export * from './stream-events.ts';
export * from './error.ts';
