# Charts of examples/deep_mlp's CSV output.
# Usage: gnuplot -e "dir='DIR'; out='OUTDIR'" examples/deep_mlp.gp
if (!exists("dir")) dir = "."
if (!exists("out")) out = dir
set datafile separator ","
set terminal svg size 720,440 dynamic font "sans,11" background "white"
set grid
set key outside right
configs = "sigmoid+Xavier tanh+Xavier ReLU+He ReLU+He_bias_0.1 LeakyReLU+He PReLU+He ELU+He Maxout+He"
# Config names hold spaces only in "ReLU+He bias 0.1": the word list spells it with _ and
# name() maps it back.
name(w) = (w eq "ReLU+He_bias_0.1") ? "ReLU+He bias 0.1" : w

set output sprintf("%s/deep_mlp_loss.svg", out)
set title "Training loss, 10 hidden layers of 32 units, two spirals"
set xlabel "epoch"
set ylabel "binary cross-entropy (log scale)"
set logscale y
set format y "%.0e"
plot for [w in configs] sprintf("%s/deep_mlp_loss.csv", dir) \
     using (strcol(1) eq name(w) ? $2 : NaN):3 with lines lw 2 title name(w)

set output sprintf("%s/deep_mlp_gradients.svg", out)
set title "Gradient norm of each layer's weights before training"
set xlabel "layer (1 = input side, 11 = output)"
set ylabel "||dL/dW|| (log scale)"
set xtics 1
plot for [w in configs] sprintf("%s/deep_mlp_gradients.csv", dir) \
     using (strcol(1) eq name(w) ? $2 : NaN):3 with linespoints lw 2 title name(w)
