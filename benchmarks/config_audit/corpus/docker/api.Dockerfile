# expect: unpinned-base-image, container-runs-as-root
FROM mcr.microsoft.com/dotnet/aspnet:latest
WORKDIR /app
COPY publish/ .
ENTRYPOINT ["dotnet", "Api.dll"]
