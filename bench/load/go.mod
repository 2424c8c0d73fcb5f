module stallscope/bench/load

go 1.22
