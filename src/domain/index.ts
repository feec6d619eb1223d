/** The election domain shared by the mock server and the load generator. */
export * from './zones.js';
export * from './rng.js';
export * from './distribution.js';
export * from './provinces.js';
export * from './elections.js';
export * from './hierarchy.js';
export * from './candidates.js';
export * from './c1form.js';
export * from './guard.js';
export * from './pin.js';
export * from './photo.js';
export * from './search.js';
