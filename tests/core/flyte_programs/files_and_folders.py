import csv
import os
import tempfile
import typing
from collections import defaultdict

from flytekit import FlyteDirectory, FlyteFile, dynamic, task, workflow

CSVFile = FlyteFile[typing.TypeVar("csv")]


@task
def make_dataset(rows: int) -> CSVFile:
    out = os.path.join(tempfile.mkdtemp(), "people.csv")
    with open(out, "w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["name", "age"])
        for i in range(rows):
            writer.writerow([f"p{i}", 20 + i])
    return out


@task
def normalize_columns(csv_url: CSVFile, column_names: typing.List[str], columns_to_normalize: typing.List[str]) -> CSVFile:
    parsed_data = defaultdict(list)
    with open(csv_url, newline="\n") as input_file:
        reader = csv.DictReader(input_file, fieldnames=column_names)
        next(reader)
        for row in reader:
            for column in columns_to_normalize:
                parsed_data[column].append(float(row[column].strip()))
    normalized_data = defaultdict(list)
    for colname, values in parsed_data.items():
        mean = sum(values) / len(values)
        std = (sum((x - mean) ** 2 for x in values) / len(values)) ** 0.5 or 1.0
        normalized_data[colname] = [(x - mean) / std for x in values]
    out_path = os.path.join(tempfile.mkdtemp(), f"normalized-{os.path.basename(csv_url.path).rsplit('.')[0]}.csv")
    with open(out_path, mode="w") as output_file:
        writer = csv.DictWriter(output_file, fieldnames=columns_to_normalize)
        writer.writeheader()
        for row in zip(*normalized_data.values()):
            writer.writerow({k: round(v, 3) for k, v in zip(normalized_data.keys(), row)})
    return FlyteFile(path=out_path)


@task
def first_value(f: CSVFile) -> float:
    f.download()
    with open(f.path) as src:
        lines = src.read().splitlines()
    return float(lines[1])


@workflow
def normalize_csv_file(rows: int = 3) -> float:
    data = make_dataset(rows=rows)
    normalized = normalize_columns(csv_url=data, column_names=["name", "age"], columns_to_normalize=["age"])
    return first_value(f=normalized)


@task
def make_folder(n: int) -> FlyteDirectory:
    working_dir = tempfile.mkdtemp()
    local_dir = os.path.join(working_dir, "images")
    os.makedirs(local_dir, exist_ok=True)
    for i in range(n):
        with open(os.path.join(local_dir, f"image_{i}.txt"), "w") as f:
            f.write("x" * (i + 1))
    return FlyteDirectory(path=local_dir)


@task
def size_of(f: FlyteFile) -> int:
    return os.path.getsize(f.download())


@dynamic
def sizes(d: FlyteDirectory) -> typing.List[int]:
    return [size_of(f=f) for f in FlyteDirectory.listdir(d)]


@task
def total_bytes(d: FlyteDirectory) -> int:
    local = d.download()
    return sum(os.path.getsize(os.path.join(local, name)) for name in os.listdir(local))


@workflow
def folder_workflow(n: int = 4) -> typing.Tuple[typing.List[int], int]:
    d = make_folder(n=n)
    return sizes(d=d), total_bytes(d=d)


CASES = [
    ("normalize_csv_file", {"rows": 3}, -1.225),
    ("folder_workflow", {"n": 4}, ([1, 2, 3, 4], 10)),
]
FAILS = []
