import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import { migrateComponent } from './component-migrations.ts';

describe('migrateComponent', () => {
  it('applies each migration once per component, and components do not interfere', () => {
    const db = new DatabaseSync(':memory:');
    expect(migrateComponent(db, 'a', ['CREATE TABLE a1 (x)'])).toBe(1);
    expect(migrateComponent(db, 'b', ['CREATE TABLE b1 (x)', 'CREATE TABLE b2 (x)'])).toBe(2);
    // a second call with one more migration applies only the new one (a1 exists: a rerun would throw)
    expect(migrateComponent(db, 'a', ['CREATE TABLE a1 (x)', 'CREATE TABLE a2 (x)'])).toBe(2);
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all();
    expect(tables.map((t) => t.name)).toEqual(['a1', 'a2', 'b1', 'b2', 'orchestra_schema']);
  });

  it('rolls a failed migration back and refuses a newer schema', () => {
    const db = new DatabaseSync(':memory:');
    expect(() => migrateComponent(db, 'c', ['CREATE TABLE c1 (x); CREATE TABLE c1 (y)'])).toThrow();
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'c1'").get()?.n).toBe(0);
    migrateComponent(db, 'd', ['CREATE TABLE d1 (x)', 'CREATE TABLE d2 (x)']);
    expect(() => migrateComponent(db, 'd', ['CREATE TABLE d1 (x)'])).toThrow(/newer Orchestra/);
  });
});
