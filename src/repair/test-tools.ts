// Tools shared by the repair ladder's tests (not a test file itself: no I/O, no assertions).
import type { OfferedTool } from './repair-types.ts';

export const WRITE_FILE: OfferedTool = {
  name: 'write_file',
  parameters: {
    type: 'object',
    properties: { path: { type: 'string' }, content: { type: 'string' } },
    required: ['path', 'content'],
    additionalProperties: false,
  },
};

export const GET_WEATHER: OfferedTool = {
  name: 'get_weather',
  parameters: {
    type: 'object',
    properties: {
      location: { type: 'string' },
      days: { type: 'integer' },
      unit: { type: 'string', enum: ['celsius', 'fahrenheit'] },
      detailed: { type: 'boolean' },
    },
    required: ['location'],
  },
};

export const TOOLS: OfferedTool[] = [WRITE_FILE, GET_WEATHER];
