import { describeShippedDrills, shippedDrills } from '../support/drill-suite.js';

// Part 1 of the shipped drills' short forms (test/support/drill-suite.ts): every other drill.
describeShippedDrills(shippedDrills(1));
