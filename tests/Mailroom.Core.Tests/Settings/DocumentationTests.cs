using Mailroom.Core.Settings.Validation;

namespace Mailroom.Core.Tests.Settings;

public class DocumentationTests
{
    [Fact]
    public void SenderSettingsDoc_ListsEveryValidationCode()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "sender-settings.md"));

        Assert.All(ValidationCodes.All, code => Assert.Contains($"`{code}`", doc));
    }

    private static string RepositoryRoot()
    {
        var directory = new DirectoryInfo(AppContext.BaseDirectory);
        while (directory is not null && !File.Exists(Path.Combine(directory.FullName, "Mailroom.slnx"))) directory = directory.Parent;
        return directory?.FullName ?? throw new InvalidOperationException("Mailroom.slnx not found above " + AppContext.BaseDirectory);
    }
}
