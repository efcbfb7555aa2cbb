"""`spark-submit python/scripts/boildown-spark.py INPUT... -o OUT.parquet`: `boildown
corpus` on a Spark cluster (boildown.spark). The executors need the `boildown` package
installed (`pip install ./python`, or `--py-files` with a wheel)."""

import sys

from boildown.spark import main

sys.exit(main())
