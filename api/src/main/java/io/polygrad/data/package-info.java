/**
 * The data sets polygrad reads from files: the IDX format of MNIST, Fashion-MNIST and KMNIST
 * ({@link io.polygrad.data.Idx}) and the Fashion-MNIST data set in the directory where its four
 * standard files lie ({@link io.polygrad.data.FashionMnist}). Nothing is downloaded at run time.
 */
package io.polygrad.data;
