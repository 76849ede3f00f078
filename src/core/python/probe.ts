/**
 * The interpreter probe: a few lines of Python that run on Python 2 and 3 alike (no `print`,
 * no f-strings) and report what Parascope needs. The first line is `PARASCOPE_PROBE <major>
 * <minor> <micro>` on any version; Python ≥ 3 then prints one JSON object.
 */

export const PROBE_MARKER = 'PARASCOPE_PROBE';

export const PROBE_CODE = [
  'import sys',
  `sys.stdout.write("${PROBE_MARKER} %d %d %d\\n" % tuple(sys.version_info[:3]))`,
  'if sys.version_info[0] >= 3:',
  '    import json, os, platform, sysconfig',
  '    try:',
  '        import multiprocessing',
  '        method = multiprocessing.get_start_method()',
  '    except Exception:',
  '        method = None',
  '    affinity = None',
  '    if hasattr(os, "sched_getaffinity"):',
  '        try:',
  '            affinity = len(os.sched_getaffinity(0))',
  '        except Exception:',
  '            affinity = None',
  '    gil = getattr(sys, "_is_gil_enabled", None)',
  '    sys.stdout.write(json.dumps({',
  '        "executable": sys.executable,',
  '        "version": platform.python_version(),',
  '        "implementation": platform.python_implementation(),',
  '        "gilEnabled": bool(gil()) if gil else True,',
  '        "freeThreaded": bool(sysconfig.get_config_var("Py_GIL_DISABLED")),',
  '        "defaultStartMethod": method,',
  '        "affinityCpus": affinity,',
  '        "cpuCount": os.cpu_count(),',
  '        "platform": sys.platform,',
  '    }) + "\\n")',
].join('\n');

export interface ProbeInfo {
  executable: string;
  version: string;
  implementation: string;
  gilEnabled: boolean;
  freeThreaded: boolean;
  defaultStartMethod: 'fork' | 'spawn' | 'forkserver' | null;
  affinityCpus: number | null;
  cpuCount: number | null;
  platform: string;
}

export type ProbeOutcome =
  | { kind: 'ok'; versionInfo: [number, number, number]; info: ProbeInfo }
  /** A Python that answered the first line only (Python 2) or a broken second line. */
  | { kind: 'version-only'; versionInfo: [number, number, number] }
  | { kind: 'not-python' };

/** Reads the probe's stdout. Pure. */
export function parseProbeOutput(stdout: string): ProbeOutcome {
  const lines = stdout.split(/\r?\n/);
  const index = lines.findIndex((line) => line.startsWith(`${PROBE_MARKER} `));
  if (index === -1) return { kind: 'not-python' };
  const parts = lines[index].slice(PROBE_MARKER.length + 1).trim().split(/\s+/).map(Number);
  if (parts.length < 3 || !parts.every(Number.isInteger)) return { kind: 'not-python' };
  const versionInfo: [number, number, number] = [parts[0], parts[1], parts[2]];
  const json = lines.slice(index + 1).find((line) => line.trim().startsWith('{'));
  if (!json) return { kind: 'version-only', versionInfo };
  let value: Record<string, unknown>;
  try {
    value = JSON.parse(json) as Record<string, unknown>;
  } catch {
    return { kind: 'version-only', versionInfo };
  }
  const s = (v: unknown, fallback: string) => (typeof v === 'string' ? v : fallback);
  const n = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) && v > 0 ? v : null);
  const method = value.defaultStartMethod;
  return {
    kind: 'ok',
    versionInfo,
    info: {
      executable: s(value.executable, ''),
      version: s(value.version, versionInfo.join('.')),
      implementation: s(value.implementation, 'CPython'),
      gilEnabled: value.gilEnabled !== false,
      freeThreaded: value.freeThreaded === true,
      defaultStartMethod: method === 'fork' || method === 'spawn' || method === 'forkserver' ? method : null,
      affinityCpus: n(value.affinityCpus),
      cpuCount: n(value.cpuCount),
      platform: s(value.platform, ''),
    },
  };
}
