# SPDX-License-Identifier: GPL-2.0-or-later
# The plot of `bench-core --sweep`: delegate + undelegate per granule next
# to the floor (every granule scrubbed twice), 16 MiB to 4 GiB.
#   gnuplot -e "data='sweep.txt'; out='delegate-sweep.png'" delegate-sweep.gp
set terminal pngcairo size 800,480 font ",11"
set output out
set title "delegate + undelegate, in process (bench-core --sweep)"
set xlabel "range delegated and undelegated"
set ylabel "ns per granule (CPU time, median of rounds)"
set logscale x 2
set xtics ("16M" 16, "64M" 64, "256M" 256, "1G" 1024, "4G" 4096)
set xrange [12:5600]
set yrange [0:*]
set key top left
set grid
plot data using 2:3 with linespoints lw 2 pt 7 title "delegate + undelegate", \
     data using 2:4 with linespoints lw 2 pt 5 dt 2 title "floor: scrub each granule twice"
