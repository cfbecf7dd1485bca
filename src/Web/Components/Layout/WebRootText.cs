namespace ControlPanel.Web.Components.Layout;

/// <summary>A text file of wwwroot that the pages write into themselves (FirstPaintStyles, BootScript), read once by its owner.</summary>
internal static class WebRootText
{
    /// <param name="neededFor">What cannot work without the file, for the error a missing one gives.</param>
    public static string Read(IWebHostEnvironment environment, string path, string neededFor)
    {
        var file = environment.WebRootFileProvider.GetFileInfo(path);
        if (!file.Exists) throw new InvalidOperationException($"wwwroot/{path} is missing from {environment.WebRootPath}: {neededFor} without it.");
        using var reader = new StreamReader(file.CreateReadStream());
        return reader.ReadToEnd();
    }
}
