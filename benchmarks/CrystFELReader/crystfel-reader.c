/*
 * The peer's own stream reader, for merge-throughput.sh: reads every chunk of the given
 * streams with libcrystfel's public API (stream_open_for_read, stream_read_chunk with
 * STREAM_PEAKS | STREAM_REFLECTIONS, as process_hkl reads a stream with its reflections)
 * and prints the number of chunks and reflections read. This file is this project's own
 * code; it is compiled by the benchmark script against a CrystFEL installation given to it
 * (CRYSTFEL_BIN's parent folder) and never built by `swift build`.
 */
#include <stdio.h>
#include <crystfel/stream.h>
#include <crystfel/image.h>
#include <crystfel/reflist.h>

int main(int argc, char *argv[])
{
	long chunks = 0, reflections = 0;
	for (int i = 1; i < argc; i++) {
		Stream *st = stream_open_for_read(argv[i]);
		if (st == NULL) {
			fprintf(stderr, "crystfel-reader: cannot open %s\n", argv[i]);
			return 1;
		}
		struct image *image;
		while ((image = stream_read_chunk(st, STREAM_PEAKS | STREAM_REFLECTIONS)) != NULL) {
			chunks++;
			for (int c = 0; c < image->n_crystals; c++) {
				RefList *list = image->crystals[c].refls;
				if (list != NULL) reflections += num_reflections(list);
			}
			image_free(image);
		}
		stream_close(st);
	}
	printf("%ld chunks, %ld reflections\n", chunks, reflections);
	return 0;
}
