#!/bin/bash
# A real single-node Slurm cluster in a scratch folder, for the shard tests (tests/Shards): munged, slurmctld and slurmd
# started with setsid in the foreground (no systemd), on free ports, with their own munge socket, so nothing of the
# machine's is used or changed. Needs root (the daemons and the jobs run as root; munged as the munge user).
#
#   tools/slurm/cluster.sh start DIR   # prints "export SLURM_CONF=DIR/slurm.conf" once the node is idle
#   tools/slurm/cluster.sh stop DIR    # stops the daemons it started, by their recorded PIDs
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
verb=$1
dir=$(realpath -m "$2")

stop() {
  for name in slurmd slurmctld munged; do
    pidfile="$dir/$name.pid"
    [ -f "$pidfile" ] || continue
    pid=$(cat "$pidfile")
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    rm -f "$pidfile"
  done
}

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

start() {
  for tool in slurmctld slurmd munged mungekey sbatch squeue sinfo; do
    if ! command -v "$tool" >/dev/null 2>&1 && [ ! -x "/usr/sbin/$tool" ]; then
      echo "error: '$tool' is not installed: apt-get install -y --no-install-recommends slurmctld slurmd slurm-client munge (or ./run.sh setup)" >&2
      exit 3
    fi
  done
  [ "$(id -u)" -eq 0 ] || { echo "error: the test cluster needs root (its daemons and jobs run as root)" >&2; exit 3; }
  export PATH="$PATH:/usr/sbin"
  stop
  mkdir -p "$dir"/{munge,spool,state,log}
  chmod 0755 "$dir"
  # munged refuses a key, socket or log folder others may write: the munge folder belongs to the munge user alone.
  chown munge:munge "$dir/munge"
  chmod 0700 "$dir/munge"
  [ -f "$dir/munge/munge.key" ] || runuser -u munge -- mungekey --create --keyfile="$dir/munge/munge.key"
  chmod 0711 "$dir/munge"
  setsid runuser -u munge -- munged --foreground --socket="$dir/munge/munge.socket" --key-file="$dir/munge/munge.key" \
    --log-file="$dir/munge/munged.log" --pid-file="$dir/munge/munged.pid" --seed-file="$dir/munge/munged.seed" </dev/null >"$dir/log/munged.out" 2>&1 &
  echo $! >"$dir/munged.pid"
  for _ in $(seq 50); do [ -S "$dir/munge/munge.socket" ] && break; sleep 0.1; done
  [ -S "$dir/munge/munge.socket" ] || { echo "error: munged did not start: $(cat "$dir/log/munged.out" "$dir/munge/munged.log" 2>/dev/null)" >&2; exit 1; }

  host=$(hostname -s)
  memory=$(( $(free -m | awk '/^Mem:/ {print $7}') - 1024 ))
  cpus=$(nproc)
  cat >"$dir/slurm.conf" <<CONF
ClusterName=ssis-test
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$dir/munge/munge.socket
CryptoType=crypto/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.daemon.pid
SlurmdPidFile=$dir/slurmd.daemon.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
MpiDefault=none
ReturnToService=2
DependencyParameters=kill_invalid_depend
KillWait=5
SchedulerParameters=sched_interval=1
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=test Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
  export SLURM_CONF="$dir/slurm.conf"
  setsid slurmctld -D -f "$SLURM_CONF" </dev/null >"$dir/log/slurmctld.out" 2>&1 &
  echo $! >"$dir/slurmctld.pid"
  setsid slurmd -D -f "$SLURM_CONF" </dev/null >"$dir/log/slurmd.out" 2>&1 &
  echo $! >"$dir/slurmd.pid"
  for _ in $(seq 200); do
    state=$(sinfo -h -o %T 2>/dev/null || true)
    [ "$state" = idle ] && { echo "export SLURM_CONF=$SLURM_CONF"; return 0; }
    sleep 0.1
  done
  echo "error: the node did not become idle within 20 s (state '${state:-none}'): see $dir/log" >&2
  tail -5 "$dir/log/slurmctld.log" "$dir/log/slurmd.log" >&2 || true
  exit 1
}

case "$verb" in
  start) start ;;
  stop) stop ;;
  *) usage ;;
esac
