/*
 * Fortnox's limit is per tenant across all our processes: 25 requests in any 5 s. Each worker process limits its own
 * calls exactly (src/fortnox/rate-limiter.ts); this is how the processes split the 25 between them without anyone
 * stating how many there are. One coordinator workflow (workflows/fortnox-budget.ts) hears every process's heartbeat
 * and answers each with its share; the arithmetic is here, pure, so it can be reasoned about and tested alone.
 *
 * The rule that keeps the sum at 25: a share told to a process stays *committed* for HOLD_MS after it was told —
 * the process may use it until its lease runs out (LEASE_MS after it asked, and it asked before it was told), and
 * the calls it made then stay in Fortnox's window for another window. A process is told at most what the others'
 * committed shares leave free. So a newcomer gets its share once the others' larger shares have run out (about
 * HOLD_MS after they were told the smaller one), and a killed process's share is free HOLD_MS after its last
 * heartbeat: nobody has to know that it died.
 */

/** Fortnox's limit: requests per tenant in any window of WINDOW_MS. */
export const FORTNOX_REQUESTS_PER_WINDOW = 25;
export const WINDOW_MS = 5_000;
/** How often a worker process asks for its share. */
export const HEARTBEAT_MS = 2_000;
/** How long a process may use a share after it asked for it; with no newer answer it then stops calling Fortnox. */
export const LEASE_MS = 6_000;
/** How long a told share counts against the others (lease, then its calls' time in Fortnox's window). */
export const HOLD_MS = LEASE_MS + WINDOW_MS;

interface Told {
  share: number;
  /** Until when it counts against the others, in workflow time (ms). */
  until: number;
}

export interface BudgetMember {
  joinedAt: number;
  lastSeen: number;
  told: Told[];
  left?: boolean;
}

/** The coordinator's state: plain JSON, carried across continue-as-new. */
export interface BudgetState {
  members: Record<string, BudgetMember>;
}

/** Requests per tenant per window a process may send, from now until its lease runs out. */
export interface BudgetAnswer {
  share: number;
  /** How many processes share the budget now. */
  members: number;
}

const committed = (member: BudgetMember, now: number): number => Math.max(0, ...member.told.filter((told) => told.until > now).map((told) => told.share));
const live = (member: BudgetMember, now: number): boolean => member.left !== true && now - member.lastSeen < LEASE_MS;

/** The fair split of the budget between the live processes, in order of joining: 25 over 2 is 13 and 12. */
function targets(state: BudgetState, now: number): Map<string, number> {
  const ids = Object.entries(state.members)
    .filter(([, member]) => live(member, now))
    .sort(([a, first], [b, second]) => first.joinedAt - second.joinedAt || a.localeCompare(b))
    .map(([id]) => id);
  const base = Math.floor(FORTNOX_REQUESTS_PER_WINDOW / Math.max(ids.length, 1));
  const extra = FORTNOX_REQUESTS_PER_WINDOW - base * ids.length;
  return new Map(ids.map((id, index) => [id, base + (index < extra ? 1 : 0)]));
}

/** Forgets what no longer counts: expired tells, and processes that are neither live nor holding a share. */
function prune(state: BudgetState, now: number): void {
  for (const [id, member] of Object.entries(state.members)) {
    member.told = member.told.filter((told) => told.until > now);
    if (!live(member, now) && member.told.length === 0) delete state.members[id];
  }
}

/** A process's heartbeat at `now`: records it and answers its share. Changes `state`. */
export function heartbeat(state: BudgetState, processId: string, now: number): BudgetAnswer {
  const member = state.members[processId] ?? { joinedAt: now, lastSeen: now, told: [] };
  member.lastSeen = now;
  delete member.left;
  state.members[processId] = member;
  prune(state, now);
  const others = Object.entries(state.members).reduce((sum, [id, other]) => (id === processId ? sum : sum + committed(other, now)), 0);
  const share = Math.max(0, Math.min(targets(state, now).get(processId) ?? 0, FORTNOX_REQUESTS_PER_WINDOW - others));
  member.told.push({ share, until: now + HOLD_MS });
  return { share, members: targets(state, now).size };
}

/**
 * A process that stopped cleanly: it has made its last call, so its share is free once those calls have left
 * Fortnox's window.
 */
export function leave(state: BudgetState, processId: string, now: number): void {
  const member = state.members[processId];
  if (member === undefined) return;
  member.left = true;
  member.told = member.told.map((told) => ({ ...told, until: Math.min(told.until, now + WINDOW_MS) }));
  prune(state, now);
}

/** The sum of every committed share at `now`; never above Fortnox's limit. */
export function committedTotal(state: BudgetState, now: number): number {
  return Object.values(state.members).reduce((sum, member) => sum + committed(member, now), 0);
}

/** What each process holds at `now` (the coordinator's `shares` query, for the Web UI and the tests). */
export function sharesAt(state: BudgetState, now: number): { processId: string; share: number; live: boolean }[] {
  return Object.entries(state.members).map(([processId, member]) => ({ processId, share: committed(member, now), live: live(member, now) }));
}
