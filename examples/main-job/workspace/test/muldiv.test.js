import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mul, div } from '../src/muldiv.js';

test('mul', () => assert.equal(mul(4, 3), 12));
test('div', () => assert.equal(div(12, 4), 3));
test('div by zero throws', () => assert.throws(() => div(1, 0), /division by zero/));
