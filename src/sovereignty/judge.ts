import type { SovereigntyControlResult, SovereigntyReport } from '../summary/sovereignty-schema.js';
import { CONTROLS, type Control } from './controls.js';
import { PREDICATES, type PredicateResult } from './predicates.js';
import { type DeploymentReadings, FAKE_SETTING, readPath } from './readings.js';

// Judges every control of the table against what was read: first whether it applies (its
// feature switched on), then the value against the accepted values or the named check. A key
// that is absent or masked is "unknown", not a failure: the audit says what it could not see.

const MAX_SHOWN = 120;

/** A found value as text; masked values stay masked, long ones are cut. */
export function showValue(value: unknown): string {
  if (value === undefined) return '(absent)';
  if (value === FAKE_SETTING) return '(masked by the API)';
  const text = typeof value === 'string' ? JSON.stringify(value) : (JSON.stringify(value) ?? String(value));
  return text.length > MAX_SHOWN ? `${text.slice(0, MAX_SHOWN)}…` : text;
}

/** Where a key is read: the server config, or for client/licence keys the flat maps. */
function settingAt(key: string, readings: DeploymentReadings): unknown {
  if (!key.includes('.')) return readings.licence?.[key] ?? readings.client?.[key];
  return readPath(readings.config, key);
}

function expectedText(control: Control): string {
  if ('predicate' in control.expected) return control.expected.says;
  return control.expected.oneOf.map((v) => JSON.stringify(v)).join(' or ');
}

function judgeValue(control: Control, readings: DeploymentReadings): PredicateResult {
  const value = settingAt(control.key, readings);
  if ('predicate' in control.expected) return PREDICATES[control.expected.predicate](value, readings);
  if (value === undefined)
    return {
      status: 'unknown',
      found: '(absent)',
      note: readings.config ? 'the key is not in the server config' : 'the server config could not be read',
    };
  if (value === FAKE_SETTING) return { status: 'unknown', found: showValue(value) };
  const ok = control.expected.oneOf.some((v) => v === value);
  return { status: ok ? 'pass' : 'fail', found: showValue(value) };
}

export function judgeControl(control: Control, readings: DeploymentReadings): SovereigntyControlResult {
  const base = {
    id: control.id,
    title: control.title,
    key: control.key,
    expected: expectedText(control),
    why: control.why,
    fix: control.fix,
    nist: [...control.nist],
  };
  const when = control.appliesWhen;
  if (when) {
    const gate = settingAt(when.key, readings);
    const off =
      gate === undefined
        ? when.absentMeansOff === true && readings.config !== null
        : !when.oneOf.some((v) => v === gate);
    if (off)
      return {
        ...base,
        status: 'not-applicable',
        // Not the key's value: a predicate's key may hold secrets (the Agents config holds API keys).
        found: `${when.key}=${showValue(gate)}`,
        note: `applies only when ${when.key} is ${when.oneOf.map((v) => JSON.stringify(v)).join(' or ')} (found ${showValue(gate)})`,
      };
  }
  const result = judgeValue(control, readings);
  return { ...base, status: result.status, found: result.found, ...(result.note && { note: result.note }) };
}

export function judgeDeployment(
  url: string,
  readings: DeploymentReadings,
  controls: readonly Control[] = CONTROLS,
): SovereigntyReport {
  const results = controls.map((c) => judgeControl(c, readings));
  const count = (s: SovereigntyControlResult['status']) => results.filter((r) => r.status === s).length;
  return {
    url,
    controls: results,
    counts: {
      pass: count('pass'),
      fail: count('fail'),
      notApplicable: count('not-applicable'),
      unknown: count('unknown'),
    },
    problems: readings.problems,
  };
}
