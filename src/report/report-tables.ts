import type { Summary } from '../summary/summary-schema.js';
import { callsAudioTable, callsTable } from './calls-tables.js';
import { capacityCriteriaTable, capacityTable } from './capacity-tables.js';
import { driftSeriesTable, driftThresholdTable } from './drift-tables.js';
import { egressTable } from './egress-table.js';
import { endpointRatesTable } from './endpoint-rates.js';
import { actionTable, endpointTable, targetTable, thresholdTable } from './metric-tables.js';
import { preparationTable } from './preparation-table.js';
import { auditTable, deliveryTable, faultTable } from './resilience-tables.js';
import { runInfoTable } from './run-info.js';
import { searchBandTable } from './search-bands.js';
import { sovereigntyTable } from './sovereignty-tables.js';
import { steadyStateTable } from './steady-state-table.js';
import type { Table } from './table-model.js';
import type { TimelineFault } from './timeline.js';

/**
 * The tables of a report, in reading order (verdict-bearing ones first); undefined where the run
 * has nothing for one. The HTML report adds the per-endpoint table, which is too wide for Markdown.
 */
export function reportTables(
  summary: Summary,
  faults: readonly TimelineFault[],
  runId: string,
  { endpoints }: { endpoints: boolean },
): (Table | undefined)[] {
  return [
    sovereigntyTable(summary),
    capacityTable(summary),
    capacityCriteriaTable(summary),
    steadyStateTable(summary),
    faultTable(summary, faults),
    auditTable(summary),
    egressTable(summary),
    thresholdTable(summary),
    driftThresholdTable(summary),
    targetTable(summary),
    preparationTable(summary),
    actionTable(summary),
    searchBandTable(summary),
    deliveryTable(summary),
    driftSeriesTable(summary),
    callsTable(summary),
    callsAudioTable(summary),
    ...(endpoints ? [endpointTable(summary)] : []),
    endpointRatesTable(summary),
    runInfoTable(summary, runId),
  ];
}
