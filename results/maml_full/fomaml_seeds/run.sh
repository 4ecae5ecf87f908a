#!/usr/bin/env bash
# First-order MAML (K = 10 in training, 70,000 meta-iterations) over meta-training seeds: ours
# (`bench/maml.ts --seed S`: the network's initialisation and the training task stream) and the
# shared PyTorch peer (`maml_torch_peer.py --first-order --seed S`, run unmodified through
# `bench/peers/maml_per_task.py`). The evaluation tasks are fixed in both (ours: seed 20170301;
# the peer: torch.manual_seed(1)), so the seeds vary meta-training only. Seed 0 of both is the
# committed full run of results/maml_full. One process at a time, nice 10, one thread for PyTorch.
# The peer can also run in float64 (`maml_per_task.py --float64`: torch's default dtype set to
# float64, the peer's source unchanged), as ours computes in float64; PyTorch draws float64 random
# numbers differently, so its seed S (and its evaluation tasks) differ from the float32 peer's.
#
# usage (from the repository root): results/maml_full/fomaml_seeds/run.sh OUT_DIR JOB...
#   JOB is o:S (ours, seed S; its trained network saved in OUT_DIR/checkpoints), p:S (the peer,
#   seed S; peer_seedS.json), q:S (the peer in float64, seed S; peer64_seedS.json) or e:S (ours
#   of seed S, from its checkpoint, evaluated by the peer's own evaluation code on the peer's
#   evaluation tasks: bench/peers/maml_peer_eval.py), in the order given.
#   ITERS (default 70000) and PEERS_DIR (default /work/shared/peers) from the environment.
set -u
out=$1; shift
iters=${ITERS:-70000}
peers_dir=${PEERS_DIR:-/work/shared/peers}
mkdir -p "$out"
stamp() { date -u +%Y-%m-%dT%H:%M:%SZ; }
load() { cut -d' ' -f1-3 /proc/loadavg; }
run_ours() {
  local s=$1
  echo "$(stamp) ours seed $s start, load $(load)" >&2
  nice -n 10 npx -y deno@2 run -A --lock=deno.lock bench/maml.ts --iters "$iters" --learners fomaml \
    --seed "$s" --log-every 10000 --out "$out/ours_seed$s.json" --save-checkpoints "$out/checkpoints" \
    > /dev/null 2> "$out/ours_seed$s.log"
  echo "$(stamp) ours seed $s done ($?), load $(load)" >&2
}
# run_peer S [float64]: the peer (in float64 with a second argument), peer_seedS.json or
# peer64_seedS.json.
run_peer() {
  local s=$1 start_date load_before t0 t1 rc load_after name=peer flag=""
  if [ "${2:-}" = float64 ]; then name=peer64; flag="--float64 "; fi
  start_date=$(stamp); load_before=$(load); t0=$(date +%s.%N)
  echo "$start_date $name seed $s start, load $load_before" >&2
  # $flag is empty or one word: left unquoted so that an empty one adds no argument.
  # shellcheck disable=SC2086
  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 nice -n 10 /usr/bin/python3 \
    bench/peers/maml_per_task.py $flag--peers-dir "$peers_dir" maml_torch_peer.py --iters "$iters" \
    --first-order --seed "$s" > "$out/${name}_seed$s.record.json" 2> "$out/${name}_seed$s.log"
  rc=$?; t1=$(date +%s.%N); load_after=$(load)
  /usr/bin/python3 - "$out/${name}_seed$s.json" "$out/${name}_seed$s.record.json" <<PY
import json, platform, subprocess, sys
import torch
git = lambda *a: subprocess.run(["git", *a], capture_output=True, text=True).stdout.strip()
try:
    record = json.load(open(sys.argv[2]))
except Exception as e:
    record = {"error": f"no record: {e}"}
provenance = {
    "command": "OMP_NUM_THREADS=1 nice -n 10 /usr/bin/python3 bench/peers/maml_per_task.py "
    "$flag--peers-dir $peers_dir maml_torch_peer.py --iters $iters --first-order --seed $s",
    "commit": git("rev-parse", "HEAD"),
    "dirty": bool(git("status", "--porcelain", "--untracked-files=no")),
    "peerSha256": subprocess.run(["sha256sum", "$peers_dir/maml_torch_peer.py"],
                                 capture_output=True, text=True).stdout.split()[0],
    "date": "$start_date",
    "wallSeconds": round($t1 - $t0, 1),
    "exitCode": $rc,
    "versions": {"python": platform.python_version(), "torch": torch.__version__},
    "loadAverageBefore": [float(v) for v in "$load_before".split()],
    "loadAverageAfter": [float(v) for v in "$load_after".split()],
}
json.dump({"provenance": provenance, **record}, open(sys.argv[1], "w"), indent=1)
PY
  rm -f "$out/${name}_seed$s.record.json"
  echo "$(stamp) $name seed $s done ($rc), load $load_after" >&2
}
run_eval() {
  local s=$1 t0 t1
  echo "$(stamp) peer evaluation of ours seed $s start, load $(load)" >&2
  t0=$(date +%s.%N)
  OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1 nice -n 10 /usr/bin/python3 \
    bench/peers/maml_peer_eval.py --peers-dir "$peers_dir" "$out/checkpoints/fomaml_seed$s.json" \
    > "$out/ours_seed$s.peer_tasks.jsonl" 2> "$out/ours_seed$s.peer_tasks.log"
  local rc=$?
  t1=$(date +%s.%N)
  echo "$(stamp) peer evaluation of ours seed $s done ($rc, $(echo "$t1 - $t0" | bc) s), load $(load)" >&2
}
for job in "$@"; do
  case $job in
    o:*) run_ours "${job#o:}" ;;
    p:*) run_peer "${job#p:}" ;;
    q:*) run_peer "${job#q:}" float64 ;;
    e:*) run_eval "${job#e:}" ;;
    *) echo "unknown job $job (o:S, p:S, q:S or e:S)" >&2; exit 2 ;;
  esac
done
