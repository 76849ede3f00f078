/** Usage text of the `parascope` CLI; the contract is in shared/design/product.md. */

export const USAGE: Record<'run' | 'sweep' | 'check' | 'demo', string> = {
  run:
    'usage: parascope run SCRIPT [--pool asis|serial|thread|process|interpreter] [--workers N] ' +
    '[--start-method fork|spawn|forkserver] [--chunksize N] [--python PATH] [--interval-ms MS] ' +
    '[--json FILE] [--html FILE] [--trace FILE] [-- SCRIPT_ARGS…]',
  sweep:
    'usage: parascope sweep SCRIPT [--workers 1,2,4] [--pools thread,process] [--repeat 3] ' +
    '[--python PATH] [--json FILE] [--html FILE] [-- SCRIPT_ARGS…]',
  check:
    'usage: parascope check PATH… [--format text|json|sarif] [--start-method fork|spawn|forkserver] ' +
    '[--python-version 3.X]',
  demo: 'usage: parascope demo [--python PATH] [--out DIR]',
};

export const HELP = `parascope — profile parallel Python scripts

Commands:
  run     Run a script under a chosen pool, sample every core, report the verdicts.
  sweep   Run a script at several pool sizes and kinds; draw speedup and efficiency.
  check   Find non-picklable payloads and shared-state mistakes without running anything.
  demo    Profile the bundled examples and write their reports.

${USAGE.run}
${USAGE.sweep}
${USAGE.check}
${USAGE.demo}

Exit codes: run exits with the script's code (non-zero on a launch failure);
check exits 1 when a warning or error is found, 0 when clean; bad usage exits 2.
`;
