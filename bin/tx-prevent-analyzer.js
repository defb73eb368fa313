#!/usr/bin/env node
// `npx tx-prevent-analyzer`: see bin/launch.js.
require('./launch')('tx-prevent-analyzer');
