# Draws docs/img/*.svg from activations.csv (written by plot_activations).
# Usage: gnuplot -e "dir='DIR'; out='OUTDIR'" examples/plot_activations.gp
if (!exists("dir")) dir = "."
if (!exists("out")) out = dir
set datafile separator ","
set terminal svg size 560,380 dynamic font "sans,11" background "white"
set grid
set key top left
set xrange [-10:10]
set xzeroaxis
set xlabel "x"

do for [f in "relu leaky_relu elu sigmoid tanh"] {
  set output sprintf("%s/%s.svg", out, f)
  set title f . " and its derivative"
  plot sprintf("%s/activations.csv", dir) using "x":f with lines lw 2 title f, \
       "" using "x":("d" . f) with lines lw 2 dt 2 title f . "'"
}

set output sprintf("%s/sigmoid_tanh_relu.svg", out)
set title "sigmoid, tanh and ReLU"
set yrange [-1.5:3]
plot sprintf("%s/activations.csv", dir) using "x":"sigmoid" with lines lw 2 title "sigmoid", \
     "" using "x":"tanh" with lines lw 2 title "tanh", \
     "" using "x":"relu" with lines lw 2 title "relu"
