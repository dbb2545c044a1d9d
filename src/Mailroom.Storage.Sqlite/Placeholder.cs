namespace Mailroom.Storage.Sqlite; internal static class Placeholder { }
