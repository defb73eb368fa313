#!/usr/bin/env node
// `npx tx-prevent-health`: see bin/launch.js.
require('./launch')('tx-prevent-health');
