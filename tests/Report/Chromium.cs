using SSIS.Batch.Tests.Support;

namespace SSIS.Batch.Tests.Report;

/// <summary>Headless Chromium (Debian package chromium) opening a local page: no network, a fresh profile per run.</summary>
public static class Chromium
{
    /// <summary>A 1280 × 2000 screenshot of the page and Chromium's log, whose CONSOLE lines are the page's console messages.</summary>
    public static (PngImage Image, string Log) Screenshot(string page, string png)
    {
        var log = Tools.RunForErrors("chromium", [.. Flags(png + ".profile"), "--enable-logging=stderr", "--v=0", $"--screenshot={png}",
            "--window-size=1280,2000", new Uri(page).AbsoluteUri]);
        return (new PngImage(png), log);
    }

    /// <summary>The DOM Chromium built from the page, as HTML: proof it parsed what the file holds.</summary>
    public static string DumpDom(string page, string profile) => Tools.Run("chromium", [.. Flags(profile), "--dump-dom", new Uri(page).AbsoluteUri]);

    private static string[] Flags(string profile) =>
        ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
         "--disable-component-update", "--disable-sync", $"--user-data-dir={profile}"];
}
