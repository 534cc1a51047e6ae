export * from './chat-request.ts';
export * from './chat-response.ts';
export * from './error.ts';
