#!/usr/bin/env node
// `npx tx-prevent`: see bin/launch.js.
require('./launch')('tx-prevent');
