#!/usr/bin/env node
// The kubetest-e2e executable (main.ts).
import { run } from './main.js';

run();
