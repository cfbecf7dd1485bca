using System.Diagnostics;

namespace ControlPanel.TestSupport;

/// <summary>A real git repository in a temporary folder, made with the git CLI: files, commits, tags.</summary>
public sealed class GitTestRepository : IDisposable
{
    public string Path { get; } = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"cp-git-{Guid.NewGuid():N}");

    public GitTestRepository(string branch = "main")
    {
        Directory.CreateDirectory(Path);
        Git("init", "--quiet", "--initial-branch", branch);
        Git("config", "user.name", "Test Author");
        Git("config", "user.email", "author@example.test");
        Git("config", "commit.gpgsign", "false");
    }

    public GitTestRepository Write(string file, string content)
    {
        var full = System.IO.Path.Combine(Path, file);
        Directory.CreateDirectory(System.IO.Path.GetDirectoryName(full)!);
        File.WriteAllText(full, content);
        return this;
    }

    public GitTestRepository Delete(string file)
    {
        File.Delete(System.IO.Path.Combine(Path, file));
        return this;
    }

    /// <summary>Commits everything; returns the new commit's SHA.</summary>
    public string Commit(string message)
    {
        Git("add", "--all");
        Git("commit", "--quiet", "--allow-empty", "-m", message);
        return Git("rev-parse", "HEAD").Trim();
    }

    public void Tag(string name) => Git("tag", name);

    public string Git(params string[] arguments)
    {
        var start = new ProcessStartInfo("git") { WorkingDirectory = Path, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var a in arguments) start.ArgumentList.Add(a);
        using var git = Process.Start(start)!;
        var output = git.StandardOutput.ReadToEnd();
        var error = git.StandardError.ReadToEnd();
        git.WaitForExit();
        return git.ExitCode == 0 ? output : throw new InvalidOperationException($"git {string.Join(' ', arguments)} failed: {error}");
    }

    public void Dispose()
    {
        if (Directory.Exists(Path)) Directory.Delete(Path, recursive: true);
    }
}
