/**
 * One entry of the history (`id`), kept current while it is 处理中. Someone else's id answers
 * NOT_FOUND from the server, shown as its message.
 */
import { operationPage } from '../../../utils/operation-watch';

Component({
  options: { pureDataPattern: /^_/ },
  data: { ...operationPage.data },
  lifetimes: operationPage.lifetimes,
  methods: { ...operationPage.methods },
});
