#!/usr/bin/env node
import { main } from '../lib/app/main';

process.exitCode = main();
