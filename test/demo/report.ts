/** The demo's summary as text: inventory, attacks, findings with their verdicts, totals, time. */
import type { DemoResult } from './demo';

const PHASE_NAMES: Record<string, string> = { start: 'start', traffic: 'traffic', analysis: 'analysis and scans', stop: 'stop' };
const SEVERITY_ORDER = ['critical', 'high', 'medium', 'low', 'info'];

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

function table(rows: readonly (readonly string[])[], indent = '  '): string[] {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows.map((row) => `${indent}${row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ')}`.trimEnd());
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? '' : 's'}`;
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 3)}...` : text;
}

export function renderReport(r: DemoResult): string {
  const lines: string[] = [];
  const verdictOf = new Map(r.verdicts.map((v) => [v.finding_id, v]));
  const rule = (title: string) => lines.push('', title, '-'.repeat(title.length));

  rule('Components');
  lines.push(
    ...table(r.components.map((c) => [c.name, c.address, c.exitCode === undefined ? '' : c.exitCode === 0 ? 'stopped cleanly' : `exit ${c.exitCode}`])),
  );
  if (r.stsScope) lines.push(`  STS scope: ${r.stsScope}`);

  // After a failed start or an early stop there may be nothing to show but the reason.
  if (r.inventory.length > 0 || r.findings.length > 0) {
    rule(`API inventory (${r.inventory.length} operations, learned from the captured traffic)`);
    lines.push(
      ...table([
        ['method', 'path', 'parameters', 'responses'],
        ...r.inventory.map((e) => [
          e.method,
          e.path,
          e.parameters.length === 0 ? '-' : e.parameters.map((p) => `${p.name}:${p.type} (${p.location}${p.required ? ', required' : ''})`).join(', '),
          e.statuses.join(',') + (e.sensitiveData.length > 0 ? `  sensitive: ${e.sensitiveData.join(',')}` : ''),
        ]),
      ]),
    );

    rule(`Attacks observed (${r.attacks.requests} requests matched attack rules, MatchEvent)`);
    const classes = Object.entries(r.attacks.byClass).sort(([a], [b]) => a.localeCompare(b));
    lines.push(classes.length === 0 ? '  none' : `  ${classes.map(([c, n]) => `${c} ${n}`).join(' · ')}`);

    const findings = [...r.findings].sort(
      (a, b) =>
        SEVERITY_ORDER.indexOf(a.severity) - SEVERITY_ORDER.indexOf(b.severity) || a.endpoint.localeCompare(b.endpoint) || a.class.localeCompare(b.class),
    );
    rule(`Findings (${findings.length}; ${findings.filter((f) => f.scan).length} sent to the STS for confirmation)`);
    lines.push(
      ...table([
        ['severity', 'class', 'endpoint', 'parameter', 'STS verdict'],
        ...findings.map((f) => {
          const v = verdictOf.get(f.finding_id);
          return [
            f.severity,
            f.class,
            `${f.method} ${f.endpoint}`,
            f.parameter ? `${f.parameter} (${f.parameter_location})` : '-',
            v ? `${v.status} (${v.confidence})` : f.scan ? 'no verdict' : 'not scanned (no template for this class)',
          ];
        }),
      ]),
    );

    rule(`STS verdicts (${r.verdicts.length})`);
    const byFinding = new Map(r.findings.map((f) => [f.finding_id, f]));
    const verdicts = [...r.verdicts].sort(
      (a, b) => a.status.localeCompare(b.status) || (byFinding.get(a.finding_id)?.endpoint ?? '').localeCompare(byFinding.get(b.finding_id)?.endpoint ?? ''),
    );
    for (const v of verdicts) {
      const f = byFinding.get(v.finding_id);
      lines.push(
        `  ${v.status.padEnd(13)} ${f ? `${f.method} ${f.endpoint}${f.parameter ? ` ${f.parameter}` : ''} [${f.class}]` : v.finding_id}  ${plural(v.requests_sent, 'request')}, ${v.duration_ms} ms`,
      );
      lines.push(`                ${shorten(v.reason, 220)}`);
    }
  }

  const statusCounts: Record<string, number> = {};
  for (const v of r.verdicts) statusCounts[v.status] = (statusCounts[v.status] ?? 0) + 1;
  rule('Totals');
  if (r.requests.benign + r.requests.malicious > 0) {
    lines.push(
      `  requests sent        ${r.requests.benign + r.requests.malicious} (${r.requests.benign} benign, ${r.requests.malicious} malicious${r.requests.failed ? `, ${r.requests.failed} without answer` : ''})`,
    );
    if (r.sensor)
      lines.push(
        `  sensor               ${r.sensor.packets} packets captured on lo, ${r.sensor.exchanges} exchanges, ${r.sensor.kernel_drops} kernel drops, all delivered: ${r.sensor.delivered_all}`,
      );
    lines.push(
      `  exchanges analyzed   ${r.exchangesAnalyzed} (plus ${r.scannerExchanges} STS scan requests recognised by their signed marker and not analyzed)`,
    );
    lines.push(`  API operations       ${r.inventory.length}`);
    lines.push(`  attacks observed     ${r.attacks.requests}`);
    lines.push(`  findings             ${r.findings.length}`);
    for (const [label, safe] of [
      ['vulnerable endpoints', false],
      ['safe twins (/safe/)', true],
    ] as const) {
      const group = r.findings.filter((f) => f.endpoint.startsWith('/safe/') === safe);
      const confirmed = group.filter((f) => verdictOf.get(f.finding_id)?.status === 'confirmed').length;
      lines.push(`  ${label.padEnd(21)}${plural(group.length, 'finding')}, ${confirmed} confirmed by the STS`);
    }
    const confirmedClasses = Object.entries(r.classes)
      .filter(([, c]) => c.vulnerableConfirmed > 0)
      .map(([name]) => name)
      .sort();
    lines.push(
      `  classes confirmed    ${confirmedClasses.length} on vulnerable endpoints (${confirmedClasses.join(', ')}); ${Object.values(r.classes).reduce((n, c) => n + c.safeConfirmed, 0)} confirmed on safe twins`,
    );
    const e = r.endpoints;
    lines.push(
      `  sample app cases     ${e.vulnerableConfirmed} of ${e.vulnerable} vulnerable confirmed for their flaw${e.missed.length > 0 ? ` (missed: ${e.missed.join('; ')})` : ''}; ${e.safeConfirmed} of ${e.safe} safe twins confirmed${e.falselyConfirmed.length > 0 ? ` (${e.falselyConfirmed.join('; ')})` : ''}`,
    );
    lines.push(
      `  verdicts             ${r.verdicts.length}${
        r.verdicts.length
          ? ` (${Object.entries(statusCounts)
              .map(([s, n]) => `${n} ${s}`)
              .join(', ')})`
          : ''
      }`,
    );
  }
  const phases = Object.entries(PHASE_NAMES)
    .filter(([key]) => r.phasesMs[key] !== undefined)
    .map(([key, name]) => `${name} ${seconds(r.phasesMs[key])}`);
  lines.push(`  elapsed              ${seconds(r.elapsedMs)}${phases.length > 0 ? ` (${phases.join(', ')})` : ''}`);
  for (const w of r.warnings) lines.push(`  warning: ${w}`);
  if (r.kept && r.workspace) lines.push(`  kept: ${r.workspace} (component logs, STS audit log, analyzer spool)`);
  if (r.failure) {
    lines.push('', `${r.stoppedEarly ? 'DEMO STOPPED' : 'DEMO FAILED'}: ${r.failure}`);
    if (r.failureDetails && r.failureDetails.length > 0) lines.push('  last log lines of that component:', ...r.failureDetails.map((l) => `    ${l}`));
  }
  return `${lines.join('\n')}\n`;
}
