/**
 * Where the tests that run the shared PyTorch peer find it, and whether they can: `/usr/bin/python3`
 * with torch and the peer's folder (`METAHPO_PEERS_DIR`, default `/work/shared/peers`).
 *
 * @module
 */
import { existsSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The Python interpreter the peers run with. */
export const PYTHON = "/usr/bin/python3";
/** The folder of the shared peer runners. */
export const PEERS = Deno.env.get("METAHPO_PEERS_DIR") ?? "/work/shared/peers";
/** The project's wrappers around the peers (`bench/peers/`). */
export const WRAPPER_DIR = fileURLToPath(new URL("../../bench/peers/", import.meta.url));

/** Whether `/usr/bin/python3` can import torch (the project's own PyTorch references need it). */
export function torchAvailable(): boolean {
  if (!existsSync(PYTHON)) return false;
  return new Deno.Command(PYTHON, { args: ["-c", "import torch"], stderr: "null" }).outputSync()
    .success;
}

/** Whether the PyTorch MAML peer can run here (the tests that need it are ignored otherwise). */
export function torchPeerAvailable(): boolean {
  return existsSync(join(PEERS, "maml_torch_peer.py")) && torchAvailable();
}
