"""Entry point: `flask --app run.py ...` or `python run.py` for the development server."""

from werkzeug.serving import WSGIRequestHandler

from consulta import create_app

app = create_app()


class QuietRequestHandler(WSGIRequestHandler):
    """The dev server's access log would print client addresses; Consulta logs requests itself."""

    def log_request(self, *args, **kwargs) -> None:
        pass


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=5000, request_handler=QuietRequestHandler)
