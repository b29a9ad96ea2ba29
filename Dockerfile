# minga servir: the endpoint behind the «Minga» menu of Google Sheets.
#   docker build -t minga .
#   docker run -e MINGA_TOKEN=... -p 8080:8080 minga
# Put it behind HTTPS (Cloud Run, a reverse proxy…): Apps Script only calls https:// addresses.
FROM python:3.12-slim
WORKDIR /app
COPY pyproject.toml README.md ./
COPY addin ./addin
COPY sync ./sync
RUN pip install --no-cache-dir ".[server]" && useradd --create-home minga
USER minga
ENV PORT=8080
EXPOSE 8080
CMD ["sh", "-c", "exec minga servir --host 0.0.0.0 --puerto ${PORT}"]
