#!/usr/bin/env node
// `npx tx-prevent-sts`: see bin/launch.js.
require('./launch')('tx-prevent-sts');
