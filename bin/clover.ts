#!/usr/bin/env node
import { main } from '../lib/app/main';

void main().then((code) => {
  process.exitCode = code;
});
