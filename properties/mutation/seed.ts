/** Mutation runs use CI's fixed fast-check seed, so a mutant meets the same inputs on every run. */
import fc from "fast-check";
import { CI_SEED } from "../support/fast-check-seed.js";

fc.configureGlobal({ ...fc.readConfigureGlobal(), seed: CI_SEED });
