#!/usr/bin/env node
// `npx tx-prevent-sensor`: see bin/launch.js.
require('./launch')('tx-prevent-sensor');
