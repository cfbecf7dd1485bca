using System.Reflection;
using CliWrap;
using CliWrap.Buffered;
using ControlPanel.TestSupport;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;

namespace ControlPanel.Web.Tests;

/// <summary>
/// A C# client generated from the panel's OpenAPI document by Kiota (the version the repository's tool manifest pins),
/// compiled in memory together with code that uses it, as a client's own project would compile it.
/// </summary>
public static class GeneratedClient
{
    /// <summary>Generates the client into the namespace <c>Generated</c> (class <c>PanelClient</c>) and compiles it with <paramref name="usage"/>.</summary>
    public static async Task<Assembly> BuildAsync(string openApiDocument, string usage)
    {
        var work = Directory.CreateTempSubdirectory("cp-kiota-");
        try
        {
            var document = Path.Combine(work.FullName, "openapi.json");
            await File.WriteAllTextAsync(document, openApiDocument);
            var output = Path.Combine(work.FullName, "client");
            await DotnetAsync("tool", "restore");
            await DotnetAsync("kiota", "generate", "--language", "CSharp", "--openapi", document, "--output", output,
                "--class-name", "PanelClient", "--namespace-name", "Generated", "--exclude-backward-compatible", "--log-level", "Warning");
            var sources = Directory.GetFiles(output, "*.cs", SearchOption.AllDirectories).Select(File.ReadAllText).Append(usage);
            return Compile(sources);
        }
        finally
        {
            work.Delete(recursive: true);
        }
    }

    private static async Task DotnetAsync(params string[] arguments)
    {
        var result = await Cli.Wrap("dotnet").WithArguments(arguments)
            .WithWorkingDirectory(Path.GetDirectoryName(Path.GetDirectoryName(PanelFactory.WebProjectDirectory()))!)
            // Kiota would look for a newer version of itself on the internet; tests reach nothing but the lab.
            .WithEnvironmentVariables(env => env.Set("KIOTA_UPDATE__DISABLED", "true"))
            .WithValidation(CommandResultValidation.None)
            .ExecuteBufferedAsync();
        Assert.True(result.ExitCode == 0, $"dotnet {string.Join(' ', arguments)} exited {result.ExitCode}: {result.StandardOutput}{result.StandardError}");
    }

    private static Assembly Compile(IEnumerable<string> sources)
    {
        var parse = new CSharpParseOptions(LanguageVersion.Latest, preprocessorSymbols: ["NET", "NET10_0_OR_GREATER", "NETCOREAPP3_1_OR_GREATER"]);
        var trees = sources.Select(source => CSharpSyntaxTree.ParseText(source, parse));
        // What this test host runs on: the shared framework and the Kiota libraries this project references.
        var references = ((string)AppContext.GetData("TRUSTED_PLATFORM_ASSEMBLIES")!).Split(Path.PathSeparator)
            .Select(path => MetadataReference.CreateFromFile(path));
        var compilation = CSharpCompilation.Create($"Generated.PanelClient.{Guid.NewGuid():N}", trees, references,
            new CSharpCompilationOptions(OutputKind.DynamicallyLinkedLibrary, nullableContextOptions: NullableContextOptions.Enable));
        using var image = new MemoryStream();
        var emitted = compilation.Emit(image);
        var errors = emitted.Diagnostics.Where(d => d.Severity == DiagnosticSeverity.Error).Take(20).Select(d => d.ToString());
        Assert.True(emitted.Success, "The generated client does not compile:\n" + string.Join('\n', errors));
        return Assembly.Load(image.ToArray());
    }
}
