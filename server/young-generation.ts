/**
 * The young-generation size of the mock server's thread (V8 `resourceLimits.maxYoungGenerationSizeMb`;
 * a third of it is one semi-space).
 *
 * Why not V8's default (up to 16 MB semi-spaces): upload bodies arrive as socket chunks, each
 * its own ArrayBuffer outside the JS heap, and the mock allocates little JS per upload. With
 * large semi-spaces a scavenge comes every few hundred uploads while tens of MB of chunks pile
 * up outside the heap, and V8 answers that external memory with full mark-compact collections
 * (incremental marking, weak callbacks, helper threads), which cost far more than the scavenges
 * they replace. Measured in issue 5 (bench/server-ingest.ts, 8,000 uploads of 150 KB pages,
 * server on one core): V8's default 12 scavenges + 56 mark-compacts, 817 µs of server CPU per
 * upload; 4 MB semi-spaces 106 scavenges and no mark-compact, 564 µs. Swept through this
 * worker (two rounds each, server CPU per upload at 50 / 150 / 500 KB pages): 6 MB 340–406 /
 * 469–525 / 1,070–1,089 µs, 12 MB 287–381 / 412–467 / 864–865, 48 MB 291–339 / 552–591 /
 * 1,275–1,445. A smaller young generation also keeps each scavenge short, and a request waits
 * behind it.
 */
export const MOCK_YOUNG_GENERATION_MB = 12;
