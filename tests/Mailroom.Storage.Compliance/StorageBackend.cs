using Mailroom.Core.Storage;

namespace Mailroom.Storage.Compliance;

/// <summary>A fresh, migrated, empty database of one backend, for one test.</summary>
public interface IStorageBackend : IAsyncDisposable
{
    IUserStore Users { get; }
    ISettingsStore Settings { get; }
    IStorageInfo Info { get; }
    IStorageMigrator Migrator { get; }
    Mailroom.Core.Queue.IMessageQueueStorage Queue { get; }
    IClusterLock ClusterLock { get; }
    Mailroom.Core.Delivery.ISendRateLimiter RateLimiter { get; }
    Mailroom.Core.Events.IEventStore Events { get; }
    Mailroom.Core.Events.IWebhookStore Webhooks { get; }

    /// <summary>Inserts a history row straight into <c>message_history</c> in its own transaction, then commits or rolls back.</summary>
    Task InsertHistoryRowAsync(string messageId, string status, bool commit);
    Mailroom.Core.OAuth.IOAuthGrantStore OAuthGrants { get; }
    Mailroom.Core.Templates.ITemplateStore Templates { get; }
    Mailroom.Core.Mailings.IMailingStore Mailings { get; }

    /// <summary>
    /// Deletes one message straight in SQL with its attachment rows and history, as a purge would
    /// (there is no purge in the product yet: the shared attachment contents must stay right whatever deletes).
    /// </summary>
    Task DeleteMessageRowsAsync(string messageId);

    /// <summary>How many distinct attachment contents are stored (<c>attachment_contents</c>).</summary>
    Task<int> CountAttachmentContentsAsync();

    /// <summary>Deletes every stored attachment content straight in SQL, in one transaction.</summary>
    Task DeleteAttachmentContentsAsync();
}
