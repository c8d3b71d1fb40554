import { readFileSync } from 'node:fs';

/** The parts of a V8 .cpuprofile (what `node --cpu-prof` writes) the summary reads. */
interface CpuProfile {
  readonly nodes: readonly {
    readonly id: number;
    readonly callFrame: {
      readonly functionName: string;
      readonly url: string;
      readonly lineNumber: number;
    };
  }[];
  /** Microseconds on the monotonic clock (the same as process.hrtime on Linux). */
  readonly startTime: number;
  readonly endTime: number;
  readonly samples: readonly number[];
  readonly timeDeltas: readonly number[];
}

export interface TimeShare {
  readonly name: string;
  readonly ms: number;
  /** Share of the busy (non-idle) time in the window. */
  readonly share: number;
  /** Share of the busy time without native socket writes (see formatProfileSummary). */
  readonly shareWithoutWrites: number;
}

export interface FunctionShare extends TimeShare {
  readonly group: string;
  readonly location: string;
}

export interface ProfileSummary {
  readonly file: string;
  readonly windowMs: number;
  /** Whether the summary covers only the measured window (else the process's whole life). */
  readonly windowed: boolean;
  readonly samples: number;
  readonly busyMs: number;
  readonly idleMs: number;
  readonly groups: readonly TimeShare[];
  readonly functions: readonly FunctionShare[];
}

const SPECIAL: Record<string, string> = {
  '(garbage collector)': 'GC',
  '(program)': 'V8 / native (program)',
  '(root)': 'V8 / native (program)',
};

/**
 * Who owns a function: `node_modules/<pkg>` (scoped packages keep their scope), our own code by
 * folder (`libs/core`, `apps/api`, … also when run from dist/), Node's own modules, GC and V8.
 */
export function groupOf(functionName: string, url: string): string {
  if (!url) {
    if (SOCKET_WRITES.has(functionName)) {
      return SOCKET_WRITES_GROUP;
    }
    return SPECIAL[functionName] ?? 'native (V8 builtins, Node bindings)';
  }
  if (url.startsWith('node:')) {
    return 'node (core)';
  }
  const path = url.replace(/^file:\/\//, '');
  const nodeModules = path.lastIndexOf('/node_modules/');
  if (nodeModules >= 0) {
    const parts = path.slice(nodeModules + '/node_modules/'.length).split('/');
    return parts[0]?.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] ?? 'node_modules');
  }
  const ours = /\/(apps|libs|bench|tools)\/([^/]+)\//.exec(
    path.replace(/\/dist\/apps\/[^/]+\//, '/'),
  );
  return ours ? `${ours[1]}/${ours[2]}` : path;
}

/**
 * Node's native stream writes: the kernel's socket work (system time), and on a loaded machine
 * where the process loses the core (see formatProfileSummary).
 */
const SOCKET_WRITES_GROUP = 'socket writes (native)';
const SOCKET_WRITES = new Set(['writev', 'writeBuffer', 'writeUtf8String', 'writeLatin1String']);

function shortLocation(url: string, line: number): string {
  const path = url.replace(/^file:\/\//, '');
  const nodeModules = path.lastIndexOf('/node_modules/');
  const short =
    nodeModules >= 0
      ? path.slice(nodeModules + '/node_modules/'.length)
      : path.replace(/^.*\/dist\/apps\/[^/]+\//, '').replace(/^.*?\/((apps|libs|bench)\/)/, '$1');
  return short ? `${short}:${line + 1}` : '';
}

/**
 * Self time by group and by function. With a window (monotonic µs, as process.hrtime reads it)
 * only the samples inside it count, so boot and shutdown do not dilute the measured work.
 */
export function summarizeProfile(
  file: string,
  window?: { startUs: number; endUs: number },
  top = 25,
): ProfileSummary {
  const profile = JSON.parse(readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((node) => [node.id, node.callFrame]));
  const windowed =
    window !== undefined && window.startUs < profile.endTime && window.endUs > profile.startTime;
  const selfUs = new Map<number, number>();
  let time = profile.startTime;
  let samples = 0;
  for (let index = 0; index < profile.samples.length; index += 1) {
    const delta = profile.timeDeltas[index] ?? 0;
    time += delta;
    if (windowed && (time < window.startUs || time > window.endUs)) {
      continue;
    }
    const id = profile.samples[index];
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta);
    samples += 1;
  }

  let idleUs = 0;
  let busyUs = 0;
  const groups = new Map<string, number>();
  const functions = new Map<
    string,
    { group: string; location: string; name: string; us: number }
  >();
  for (const [id, us] of selfUs) {
    const frame = byId.get(id);
    if (!frame) {
      continue;
    }
    if (frame.functionName === '(idle)') {
      idleUs += us;
      continue;
    }
    busyUs += us;
    const group = groupOf(frame.functionName, frame.url);
    groups.set(group, (groups.get(group) ?? 0) + us);
    const location = shortLocation(frame.url, frame.lineNumber);
    const name = frame.functionName || '(anonymous)';
    const key = `${name}@${location}`;
    const entry = functions.get(key) ?? { group, location, name, us: 0 };
    entry.us += us;
    functions.set(key, entry);
  }
  const share = (us: number): number => (busyUs > 0 ? us / busyUs : 0);
  const writesUs = groups.get(SOCKET_WRITES_GROUP) ?? 0;
  const shareWithoutWrites = (us: number, group: string): number =>
    group === SOCKET_WRITES_GROUP || busyUs - writesUs <= 0 ? 0 : us / (busyUs - writesUs);
  return {
    file,
    windowMs: windowed
      ? (Math.min(window.endUs, profile.endTime) - Math.max(window.startUs, profile.startTime)) /
        1000
      : (profile.endTime - profile.startTime) / 1000,
    windowed,
    samples,
    busyMs: busyUs / 1000,
    idleMs: idleUs / 1000,
    groups: [...groups]
      .map(([name, us]) => ({
        name,
        ms: us / 1000,
        share: share(us),
        shareWithoutWrites: shareWithoutWrites(us, name),
      }))
      .sort((a, b) => b.ms - a.ms),
    functions: [...functions.values()]
      .map((entry) => ({
        name: entry.name,
        group: entry.group,
        location: entry.location,
        ms: entry.us / 1000,
        share: share(entry.us),
        shareWithoutWrites: shareWithoutWrites(entry.us, entry.group),
      }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top),
  };
}

const percent = (value: number): string => `${(value * 100).toFixed(1).padStart(5)} %`;
const millis = (value: number): string =>
  `${Math.round(value).toLocaleString('en-US')} ms`.padStart(10);

/**
 * `processCpu`: the CPU the process really used in the window, from /proc (total and system).
 * Socket writes are real CPU: their self time is the kernel's work, which on loopback TCP includes
 * the receiving end. But the profiler samples on a wall clock, so on a loaded machine, time spent
 * waiting for a core is charged to the function running then, mostly socket writes (they wake
 * PostgreSQL, which takes the core): then the busy time exceeds the CPU used.
 */
export function formatProfileSummary(
  summary: ProfileSummary,
  groupsShown = 15,
  processCpu?: { totalMs?: number; systemMs?: number },
): string {
  const total = processCpu?.totalMs;
  const lines = [
    `profile ${summary.file}`,
    `  ${summary.windowed ? 'measured window' : 'whole process (no window given)'} ` +
      `${(summary.windowMs / 1000).toFixed(1)} s: busy ${millis(summary.busyMs).trim()}, ` +
      `idle ${millis(summary.idleMs).trim()}, ${summary.samples} samples`,
    ...(total === undefined
      ? []
      : [
          `  CPU the process used in the window (/proc): ${millis(total).trim()}` +
            (processCpu?.systemMs === undefined
              ? ''
              : `, of which system (kernel) ${millis(processCpu.systemMs).trim()}`) +
            (total < summary.busyMs * 0.8
              ? `; about ${Math.round((1 - total / summary.busyMs) * 100)} % of the busy samples ` +
                'were time off the CPU (a loaded machine), charged to the function running then, ' +
                'mostly socket writes: read the second share'
              : ''),
        ]),
    '  self time by package / folder: share of busy time | share of busy time without socket writes:',
    ...summary.groups
      .slice(0, groupsShown)
      .map(
        (group) =>
          `    ${percent(group.share)} | ${percent(group.shareWithoutWrites)} ${millis(group.ms)}  ${group.name}`,
      ),
    `  top ${summary.functions.length} functions by self time (same two shares):`,
    ...summary.functions.map(
      (entry) =>
        `    ${percent(entry.share)} | ${percent(entry.shareWithoutWrites)} ${millis(entry.ms)}  ${entry.name}  [${entry.group}] ${entry.location}`,
    ),
  ];
  return lines.join('\n');
}
