import { defineConfig } from 'vitest/config';

// Two groups: fast unit and server tests run side by side; the load tests (which time real
// traffic on this 2-core machine: schedules, stalls, kills, segments) run after them, one
// file at a time, so their timing assertions never compete with each other for the CPU.
const LOAD = ['tests/loadgen/**/*.test.ts', 'tests/reliability/**/*.test.ts', 'tests/segments/**/*.test.ts'];

export default defineConfig({
  test: {
    testTimeout: 60_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['tests/**/*.test.ts'],
          exclude: [...LOAD, 'tests/bench/**', 'node_modules/**'],
          maxWorkers: 2,
          sequence: { groupOrder: 0 },
        },
      },
      {
        extends: true,
        test: {
          name: 'load',
          include: LOAD,
          fileParallelism: false,
          maxWorkers: 1,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
