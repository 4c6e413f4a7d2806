# Sourced by idle-heap.sh and scale.sh: `live_kb PID` prints a JVM's live heap in KB, read after a
# full GC (jcmd GC.run, then the generations' "used" in GC.heap_info summed).
live_kb() {
  jcmd "$1" GC.run > /dev/null
  jcmd "$1" GC.heap_info | awk '/total [0-9]+K, used [0-9]+K/ { for (i = 1; i <= NF; i++) if ($i == "used") { gsub("K,?", "", $(i+1)); s += $(i+1) } } END { print s }'
}
