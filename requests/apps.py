from django.apps import AppConfig


class RequestsConfig(AppConfig):
    # This folder is named "requests" like the PyPI library it shadows inside the project;
    # tests/test_layout.py guards that no installed distribution needs that library.
    name = "requests"
    label = "requests"
    verbose_name = "Requests for Resource and meetings"
