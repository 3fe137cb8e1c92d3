#!/usr/bin/env bash
# A one-node SLURM cluster of its own in a folder, for the cluster tests and for trying
# `xtalreport run --slurm` on one machine (Debian's slurm-wlm 22.05 and munge, as root):
#
#   scripts/slurm-cluster.sh start DIR   # munged, slurmctld, slurmd on 127.0.0.1; prints SLURM_CONF=...
#   scripts/slurm-cluster.sh stop DIR    # stops the three daemons
#
# Everything lives in DIR: the munge key and socket, slurm.conf, state, spool and logs.
# Ports are picked at random above 20000 (loopback only), so two clusters do not meet.
# No accounting storage: sacct is not available, and xtalreport does not need it.
# Exit codes: 0 started (or stopped), 1 a daemon did not come up (its log is printed),
# 2 usage, 69 slurm-wlm or munge is not installed.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1
dir=$(mkdir -p "$2" && cd "$2" && pwd)

stop() {
    for name in slurmd slurmctld munged; do
        local pidfile="$dir/$name.pid"
        [ -f "$pidfile" ] || continue
        local pid
        pid=$(cat "$pidfile" 2>/dev/null || true)
        if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
            kill "$pid" 2>/dev/null || true
            for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
            kill -9 "$pid" 2>/dev/null || true
        fi
        rm -f "$pidfile"
    done
}

case "$action" in
stop) stop; exit 0 ;;
start) ;;
*) usage ;;
esac

for tool in /usr/sbin/munged /usr/sbin/slurmctld /usr/sbin/slurmd /usr/bin/sbatch /usr/bin/squeue /usr/bin/scontrol; do
    [ -x "$tool" ] || { echo "slurm-cluster: $tool is absent: install slurm-wlm and munge (scripts/install-deps.sh --test)" >&2; exit 69; }
done

# The daemons must not inherit descriptors of whoever started this script: a parent that
# waits for its child on a socket (Foundation's Process does) would wait for the daemons.
for fd in /proc/$$/fd/*; do
    fd=${fd##*/}
    if [ "$fd" -gt 2 ] 2>/dev/null; then eval "exec $fd>&-" 2>/dev/null || true; fi
done
mkdir -p "$dir/state" "$dir/spool" "$dir/log" "$dir/munge-key" "$dir/munge-run"
# munged refuses a key that others can read; clients need to reach the socket's folder.
chmod 700 "$dir/munge-key"
chmod 755 "$dir/munge-run"
if [ ! -f "$dir/munge-key/munge.key" ]; then
    dd if=/dev/urandom of="$dir/munge-key/munge.key" bs=1024 count=1 status=none
    chmod 400 "$dir/munge-key/munge.key"
fi
socket="$dir/munge-run/munge.socket"
# --force: munged otherwise refuses a key folder that is not owned as it likes on a
# throw-away machine; the key itself is ours and private.
/usr/sbin/munged </dev/null >/dev/null 2>&1 --force --socket="$socket" --key-file="$dir/munge-key/munge.key" \
    --pid-file="$dir/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge-key/munge.seed"

ctld_port=$((20000 + RANDOM % 20000))
slurmd_port=$((ctld_port + 1))
cpus=$(nproc)
memory=$(awk '/MemTotal/ { printf "%d", $2 / 1024 * 0.8 }' /proc/meminfo)
cat >"$dir/slurm.conf" <<EOF
ClusterName=xtalreport-test
SlurmctldHost=$(hostname -s)(127.0.0.1)
MailProg=/bin/true
MessageTimeout=5
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$socket
CredType=cred/munge
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
SchedulerType=sched/backfill
SchedulerParameters=sched_interval=1
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
MinJobAge=600
NodeName=xtalnode NodeAddr=127.0.0.1 NodeHostname=xtalnode CPUs=$cpus RealMemory=$memory State=UNKNOWN
PartitionName=debug Nodes=xtalnode Default=YES MaxTime=INFINITE State=UP
EOF
export SLURM_CONF="$dir/slurm.conf"
# The daemons' own output goes to their logs, not to whoever started them.
/usr/sbin/slurmctld -f "$SLURM_CONF" </dev/null >/dev/null 2>&1
/usr/sbin/slurmd -f "$SLURM_CONF" -N xtalnode </dev/null >/dev/null 2>&1

# Ready when the node answers as idle (bounded: 30 s).
for _ in $(seq 1 150); do
    if state=$(timeout 3 /usr/bin/sinfo -h -N -o "%t" 2>/dev/null) && [[ $state == idle* ]]; then
        echo "SLURM_CONF=$SLURM_CONF"
        exit 0
    fi
    sleep 0.2
done
echo "slurm-cluster: the node did not become idle (sinfo: ${state:-no answer})" >&2
for log in munged slurmctld slurmd; do
    echo "--- $log.log" >&2
    tail -20 "$dir/log/$log.log" >&2 2>/dev/null || true
done
stop
exit 1
