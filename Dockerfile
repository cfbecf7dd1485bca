# The panel's own image. Build from the repository root: docker build -t controlpanel .
FROM mcr.microsoft.com/dotnet/sdk:10.0 AS build
WORKDIR /src
COPY global.json Directory.Build.props Directory.Packages.props .editorconfig ./
COPY src/Core/Core.csproj src/Core/
COPY src/Infrastructure/Infrastructure.csproj src/Infrastructure/
COPY src/Web/Web.csproj src/Web/
RUN dotnet restore src/Web/Web.csproj
COPY src/ src/
RUN dotnet publish src/Web/Web.csproj -c Release -o /app --no-restore

FROM mcr.microsoft.com/dotnet/aspnet:10.0
# Builds fetch sources with the git CLI (and ssh for ssh:// remotes).
RUN apt-get update && apt-get install -y --no-install-recommends git openssh-client ca-certificates && rm -rf /var/lib/apt/lists/*
WORKDIR /app
COPY --from=build /app .
ENV ASPNETCORE_URLS=http://0.0.0.0:8080 \
    ControlPanel__DataDirectory=/data
VOLUME /data
EXPOSE 8080
# The check is a second dotnet process (start-up included) whose own request waits up to 3 s; a first start
# may spend a while on migrations before it listens.
HEALTHCHECK --interval=10s --timeout=10s --start-period=60s CMD ["dotnet", "ControlPanel.Web.dll", "healthcheck"]
ENTRYPOINT ["dotnet", "ControlPanel.Web.dll"]
