// The double's tests start their back end with the same code the benchmark uses.
export {
  type DoubleCluster,
  type DoubleClusterOptions,
  startDoubleCluster,
} from '../../src/stack/native/double-cluster.js';
